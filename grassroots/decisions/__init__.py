"""Collective decisions (DOMAIN.md §8): 三重一大 for leadership teams and 四议两公开一监督 for
villages.

models.py holds the records and the read-side rules (querysets); services.py every write and
every rule a write must keep. The Party members' meeting of a village matter is a meeting of
the grassroots log (grassroots.models.Meeting) with its frozen quorum; the appointment a
leadership team decides is the cadres workflow's Appointment, linked, never copied.
"""
