"""Chinese text for the search index: the words of a text, the stored vector, the query, snippets.

PostgreSQL has no Chinese parser, so we give it the lexemes ourselves. An indexed text becomes, at
save time, a `tsvector` literal whose lexemes are

- the words jieba finds in search-engine mode (廉洁文化 gives 廉洁, 文化, 廉洁文化),
- every Chinese character on its own (so 案 finds 案例通报), and
- every pair of neighbouring Chinese characters (so 谈心 finds 家访谈心, which jieba cuts 家/访谈/心,
  and a longer word is found as the phrase of its pairs wherever it stands),

each at its character offset, title words with weight A and body words with weight B. jieba runs
without its HMM guesser of unknown words: faster, and the same words for the same text.

The query is cut the same way (precise mode: the words a person meant) and becomes a `tsquery`
literal in which every word must occur. Both literals are cast, never parsed by PostgreSQL's
text-search parser, so what is indexed is exactly what is asked.
"""

import logging
import re
from collections import defaultdict

import jieba
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString

jieba.setLogLevel(logging.WARNING)

CHINESE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
WORD_CHARACTER = re.compile(r"\w")
# PostgreSQL keeps positions up to 16,383 and 256 positions per lexeme; a lexeme is at most 2 KB.
MAX_POSITION = 16383
MAX_POSITIONS_PER_LEXEME = 256
MAX_LEXEME_LENGTH = 60
# Texts are indexed up to this many characters: positions beyond MAX_POSITION carry no phrase.
MAX_INDEXED_CHARACTERS = 20000
# Between the title and the body, so that no phrase spans both.
GAP = 8
# A query keeps at most this many words.
MAX_QUERY_WORDS = 10


def lexeme(token: str) -> str | None:
    """The form a token is indexed and searched under: lower case; None for punctuation, space,
    emoji and runs too long to be a word anyone types."""
    token = token.strip().lower()
    if not token or len(token) > MAX_LEXEME_LENGTH or not WORD_CHARACTER.search(token):
        return None
    return token


def _is_chinese(word: str) -> bool:
    return all(CHINESE.match(character) for character in word)


def _positions(text: str, start: int) -> dict[str, set[int]]:
    """Each lexeme of `text` with its 1-based positions, counting from `start`."""
    found: dict[str, set[int]] = defaultdict(set)
    for word, begin, _end in jieba.tokenize(text, mode="search", HMM=False):
        if (term := lexeme(word)) is not None:
            found[term].add(min(start + begin + 1, MAX_POSITION))
    chinese = [bool(CHINESE.match(character)) for character in text]
    for offset, character in enumerate(text):
        if chinese[offset]:
            position = min(start + offset + 1, MAX_POSITION)
            found[character].add(position)
            if offset + 1 < len(text) and chinese[offset + 1]:
                found[text[offset : offset + 2]].add(position)
    return found


def _quoted(term: str) -> str:
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def vector_literal(title: str, body: str) -> str:
    """The tsvector of an item, as text PostgreSQL casts without parsing. A single character of
    the body is kept without its positions: no phrase asks for one, and they would make every
    vector a quarter larger (and every broad search slower) for nothing."""
    title = title[:MAX_INDEXED_CHARACTERS]
    body = body[:MAX_INDEXED_CHARACTERS]
    entries: dict[str, list[str]] = defaultdict(list)
    for term, positions in _positions(title, 0).items():
        entries[term] += [f"{position}A" for position in sorted(positions)]
    for term, positions in _positions(body, len(title) + GAP).items():
        if len(term) == 1 and CHINESE.match(term):
            entries.setdefault(term, [])
        else:
            entries[term] += [f"{position}B" for position in sorted(positions)]
    return " ".join(
        f"{_quoted(term)}:{','.join(positions[:MAX_POSITIONS_PER_LEXEME])}" if positions else _quoted(term)
        for term, positions in entries.items()
    )


def title_key(text: str) -> str:
    """A title or a query reduced to its letters, digits and characters, lower case: 清风园 asked
    as 清风 园 or 清风园！ is the item named 清风园."""
    return re.sub(r"\W+", "", text.lower())


def query_words(query: str) -> list[str]:
    """The words a query asks for, in order, each once: jieba's precise cut, lower case, without
    punctuation, emoji or space."""
    words = []
    for token in jieba.cut(query, HMM=False):
        term = lexeme(token)
        if term is not None and term not in words:
            words.append(term)
    return words[:MAX_QUERY_WORDS]


def tsquery_literal(words: list[str]) -> str:
    """Every word must occur. One or two Chinese characters are lexemes of every text that holds
    them; a longer word is itself (where jieba cut it so) or the phrase of its pairs of characters
    (兴台村: 兴台 followed by 台村). A phrase costs PostgreSQL a look at the positions of every
    candidate, so only the longer, rarer words ask for one."""
    parts = []
    for word in words:
        if len(word) > 2 and _is_chinese(word):
            phrase = " <-> ".join(_quoted(word[index : index + 2]) for index in range(len(word) - 1))
            parts.append(f"( {_quoted(word)} | {phrase} )")
        else:
            parts.append(_quoted(word))
    return " & ".join(parts)


def _pattern(words: list[str]) -> re.Pattern:
    longest_first = sorted(words, key=len, reverse=True)
    return re.compile("|".join(re.escape(word) for word in longest_first), re.IGNORECASE)


def highlight(text: str, words: list[str]) -> SafeString:
    """`text` escaped, with the query's words marked."""
    if not words:
        return escape(text)
    marked = SafeString()
    last = 0
    for match in _pattern(words).finditer(text):
        marked += escape(text[last : match.start()]) + format_html("<mark>{}</mark>", match.group())
        last = match.end()
    return marked + escape(text[last:])


def snippet(text: str, words: list[str], *, length: int = 120) -> SafeString:
    """About `length` characters of `text` around the first word found, escaped and marked; the
    beginning of the text when no word occurs in it (the item matched by its title)."""
    start = 0
    if words and (match := _pattern(words).search(text)):
        start = max(match.start() - length // 4, 0)
    window = text[start : start + length]
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + length < len(text) else ""
    return format_html("{}{}{}", prefix, highlight(window, words), suffix)
