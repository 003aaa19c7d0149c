from ldifctl.cli.main import main

main()
