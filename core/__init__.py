"""The bottom layer: the error vocabulary, SQL helpers and validation messages that every
app shares. It imports no app of this project."""
