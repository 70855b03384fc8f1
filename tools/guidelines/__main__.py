from guidelines.cli import main

main()
