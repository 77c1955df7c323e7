"""Data exchange: spreadsheet import and export. Every cell written to a file a user downloads
goes through `portal.exchange.cells.safe_cell`."""
