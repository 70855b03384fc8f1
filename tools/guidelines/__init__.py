"""Publishing toolkit for the OCTOPUS guidelines: one content model, a multilingual site and editions."""
