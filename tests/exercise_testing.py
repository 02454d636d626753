"""What every exercise-check test needs: run a check, keep its verdict and printed line."""
from helpers.exercises import verdict as graded


def verdict(capsys, key, answer):
    """Run exercise ``key``'s check on ``answer``; return (True/False/None, printed text)."""
    result = graded(key, answer)
    return result, capsys.readouterr().out
