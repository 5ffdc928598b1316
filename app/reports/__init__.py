"""The employer report: its rows, the XLSX and PDF builders and the PDF job runner.

The builders are pure (rows -> bytes) so that they can be tested and benchmarked
without a web request.
"""
