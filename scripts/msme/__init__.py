"""MobiliseSME site core: content model, validation and generators. Never imports mkdocs."""
