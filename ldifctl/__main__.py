from ldifctl.cli import main

main()
