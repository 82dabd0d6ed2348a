from gdprkit.cli import main

main()
