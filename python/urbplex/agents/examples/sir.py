"""placeholder"""
def sir_epr(*a, **k):
    raise NotImplementedError
