"""harmonize.validate"""
