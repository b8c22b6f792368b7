"""harmonize.match"""
