"""The command line: argument wiring, the subcommands, and errors turned into exit codes in one place."""
