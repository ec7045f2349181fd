"""How strong a new password must be: the one rule, for registration, the password chosen from an invitation
or a reset link, and `flask user create` (through `create_user`).

Strength is judged by zxcvbn (Dropbox's estimator: dictionaries of common passwords, names, words, keyboard
patterns, dates), with the account's own email and name and a few words Vietnamese passwords are often
made of added to its dictionaries."""
import re
import threading

from flask_babel import gettext as _
from zxcvbn import zxcvbn

from ..errors import FieldError
from ..text import fold

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 200
# zxcvbn's score runs from 0 (a top-100 password) to 4; 3 resists an offline attack on a slow hash.
MIN_SCORE = 3
# zxcvbn refuses longer input; a passphrase is judged by its first 72 characters.
ESTIMATED_LENGTH = 72
# Words Vietnamese passwords are often built from, which zxcvbn's English lists lack (compared folded:
# without tone marks, đ as d).
COMMON_WORDS = ("matkhau", "anhyeuem", "emyeuanh", "yeuem", "yeuanh", "toiyeuban", "iloveyou", "vietnam",
                "quangngai", "ocop", "hanoi", "saigon", "danang", "hochiminh", "tphcm", "xinchao", "admin")
# zxcvbn keeps the extra words in a module-level dictionary: one estimate at a time per process.
_estimating = threading.Lock()


def _letters_and_digits(text: str) -> str:
    return re.sub(r"[\W_]+", "", fold(text or ""))


def password_problem(password: str, email: str = "", name: str = "") -> str | None:
    """Why `password` may not be chosen by the account with this email and name, in the visitor's language;
    None when it is strong enough."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return _("The password must have at least %(count)s characters.", count=MIN_PASSWORD_LENGTH)
    if len(password) > MAX_PASSWORD_LENGTH:
        return _("The password can have at most %(count)s characters.", count=MAX_PASSWORD_LENGTH)
    email = (email or "").strip().lower()
    personal = {_letters_and_digits(email), _letters_and_digits(email.split("@")[0]), _letters_and_digits(name)}
    personal = {text for text in personal if len(text) >= 4}
    if any(text in _letters_and_digits(password) for text in personal):
        return _("The password must not contain your email address or your name.")
    personal_words = {word for word in re.split(r"[\W_]+", fold(f"{email} {name or ''}")) if len(word) >= 3}
    with _estimating:
        estimate = zxcvbn(fold(password)[:ESTIMATED_LENGTH], user_inputs=sorted(personal_words | set(COMMON_WORDS)))
    if estimate["score"] >= MIN_SCORE:
        return None
    if any(match.get("dictionary_name") == "user_inputs" and match.get("matched_word") in personal_words
           for match in estimate["sequence"]):
        return _("The password must not contain your email address or your name.")
    return _("This password is too common or too easy to guess. Try a few unrelated words, or a short sentence.")


def check_password_strength(password: str, email: str = "", name: str = "") -> None:
    """FieldError("password", why) when `password` may not be chosen (see password_problem)."""
    problem = password_problem(password, email, name)
    if problem:
        raise FieldError("password", problem)
