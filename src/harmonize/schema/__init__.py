"""harmonize.schema"""
