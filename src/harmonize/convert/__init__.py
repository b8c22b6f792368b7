"""harmonize.convert"""
