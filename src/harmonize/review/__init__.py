"""harmonize.review"""
