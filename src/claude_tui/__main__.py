from claude_tui.cli import main

main()
