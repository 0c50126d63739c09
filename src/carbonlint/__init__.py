"""carbonlint: lint the CO2 emissions reported in Hugging Face model cards."""

__version__ = "0.1.1.dev0"
