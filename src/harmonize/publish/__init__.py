"""harmonize.publish"""
