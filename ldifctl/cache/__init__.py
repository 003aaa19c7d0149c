"""Everything under `.git/ldifctl/`: parsed entries and findings, keyed by content ids and
sealed with an HMAC, so that an answer from the cache is the answer a fresh run gives.
"""
