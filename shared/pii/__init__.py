"""Personal data that can be erased from an immutable log: each applicant's fields sealed with a key of
their own (envelope.py), the keys in a store apart from the events (keystore.py), and every reader
opening them through `Revealer` (reveal.py). Deleting a key erases the data everywhere at once
("crypto-shredding"): the events, their hash chain and every copy on the streams stay as they are."""
