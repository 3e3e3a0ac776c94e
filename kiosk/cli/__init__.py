"""The madoguchi command line: one module per subcommand group."""
