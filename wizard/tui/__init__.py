"""The interactive terminal: the only package that imports questionary, prompt_toolkit and rich."""
