"""The SM stream: Pythia 8 generation, L1-object emulation, HLT features, readers and writers."""
