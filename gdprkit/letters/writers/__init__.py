"""Format writers: each turns a parsed :class:`~gdprkit.letters.markup.Document`
into one output format, escaping text for that format only."""
