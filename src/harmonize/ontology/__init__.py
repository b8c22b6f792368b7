"""harmonize.ontology"""
