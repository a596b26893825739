from msme.cli import main

main()
