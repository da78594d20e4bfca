"""Practice corpus of real follow-up grades and the script that reproduces them."""
