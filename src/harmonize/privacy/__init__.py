"""harmonize.privacy"""
