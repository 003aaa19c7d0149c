from ldifctl.cli.entry import main

main()
