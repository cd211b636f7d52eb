"""The wizard's words, text safety, wrapping, plans, Markdown, JUnit and diagrams: strings out, no terminal."""
