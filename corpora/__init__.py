"""Text to statements: article readers, quote extraction and speaker/cue/outlet/date attribution."""
