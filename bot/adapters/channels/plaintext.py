"""Answers as plain text (or Slack's mrkdwn), with buttons turned into numbered options.

Text channels cannot show buttons or markdown the way the website's chat does, and some
of their native button kinds refuse our content (Messenger titles stop at 20 characters,
Telegram button data at 64 bytes). So every messaging channel gets the answer as text,
its buttons as "1. Yes" lines, and the patient's "1" (or the option typed out) is read
back as that button's payload. The domain's responses stay the one source of truth.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.adapters.channels.sms import to_gsm

_CODE = re.compile(r"`([^`\n]+)`")
# A link's text stops at "[" and its target at "(" and "<", so "[[[…" or "[a]([a](…" cannot
# make a match rescan the rest of the message: every pattern here runs in linear time.
_LINK = re.compile(r"\[([^\[\]\n]+)\]\(\s*<?([^()\s<>]+)>?\s*\)")
_AUTOLINK = re.compile(r"<((?:https?://|mailto:)[^<>\s]+)>")
_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>])")
_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+(.+)$", re.M)
_BULLET = re.compile(r"^([ \t]*)[-*+][ \t]+", re.M)
# Emphasis spans are short: bounded, so an opener without a closer cannot rescan the line.
_EMPHASIS = re.compile(
    r"(\*\*|__)(?=\S)(?P<bold>.{1,300}?)(?<=\S)\1"
    r"|(?<![\w*\\])([*_])(?=\S)(?P<italic>.{1,300}?)(?<=\S)\3(?![\w*])"
)
_PLACEHOLDER = re.compile("\x00(\\d+)\x00")
_NUMBER_REPLY = re.compile(r"#?(\d{1,2})\s*[.)]?", re.ASCII)  # on the stripped reply


@dataclass(frozen=True)
class _Markup:
    """How one target writes what markdown writes with `**`, `[..](..)`, `#`."""

    link: Callable[[str, str], str]
    bold: str
    italic: str
    code: str
    heading: str
    escape: Callable[[str], str]


def _plain_link(text: str, url: str) -> str:
    bare = url.removeprefix("mailto:")
    return bare if text.strip() in {url, bare} else f"{text} ({bare})"


def _slack_escape(text: str) -> str:
    """Slack reads `<...>` as links and mentions, so a literal `<!channel>` must not pass."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _slack_link(text: str, url: str) -> str:
    target = _slack_escape(url).replace("|", "%7C")
    return f"<{target}>" if text == _slack_escape(url) else f"<{target}|{text}>"


_PLAIN = _Markup(_plain_link, "{}", "{}", "{}", "{}", lambda text: text)
_SLACK = _Markup(_slack_link, "*{}*", "_{}_", "`{}`", "*{}*", _slack_escape)


def to_plain(markdown: str) -> str:
    """Markdown as plain text: no markers, links as "text (url)", bullets as "•"."""
    return _convert(markdown, _PLAIN)


def to_slack(markdown: str) -> str:
    """Markdown as Slack mrkdwn: *bold*, _italic_, <url|text> links, `&<>` escaped."""
    return _convert(markdown, _SLACK)


def _convert(markdown: str, markup: _Markup) -> str:
    kept: list[str] = []

    def keep(rendered: str) -> str:
        kept.append(rendered)
        return f"\x00{len(kept) - 1}\x00"

    def inline(text: str) -> str:
        text = _EMPHASIS.sub(
            lambda m: markup.bold.format(m["bold"]) if m["bold"] is not None
            else markup.italic.format(m["italic"]),
            text,
        )
        return _PLACEHOLDER.sub(lambda m: kept[int(m[1])], text)

    text = markdown.replace("\x00", "").replace("\r\n", "\n")
    text = _ESCAPED.sub(lambda m: keep(markup.escape(m[1])), text)
    text = _CODE.sub(lambda m: keep(markup.code.format(markup.escape(m[1]))), text)
    text = _AUTOLINK.sub(lambda m: keep(markup.link(markup.escape(m[1]), m[1])), text)
    text = _LINK.sub(
        lambda m: keep(markup.link(inline(markup.escape(m[1])), m[2])), text
    )
    text = markup.escape(text)
    text = _HEADING.sub(lambda m: keep(markup.heading.format(inline(_heading(m[1])))), text)
    text = _BULLET.sub(lambda m: f"{m[1]}• ", text)
    text = inline(text)
    lines = [line.rstrip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def with_options(text: str, titles: Sequence[str]) -> str:
    """The text followed by one numbered line per option ("1. Yes")."""
    options = "\n".join(f"{number}. {title}" for number, title in enumerate(titles, 1))
    return "\n".join(part for part in (text.rstrip(), options) if part)


def button_title(button: Mapping[str, Any]) -> str:
    """What a button says; a button without a title shows its payload."""
    return str(button.get("title") or button.get("payload") or "")


def _heading(line: str) -> str:
    """A heading's text without its closing hashes ("## Cost ##" -> "Cost"; "C#" is kept).

    Done with string methods: a regex for the closing sequence backtracks quadratically
    on a long run of " #".
    """
    text = line.rstrip(" \t")
    bare = text.rstrip("#")
    if bare != text and (not bare or bare[-1] in " \t"):
        text = bare.rstrip(" \t")
    return text


def chosen_payload(reply: str, buttons: Sequence[Mapping[str, Any]]) -> str | None:
    """The payload of the option a reply picks ("2", "2.", " 2 ", or the title), else None."""
    if not buttons:
        return None
    number = _NUMBER_REPLY.fullmatch(reply.strip())
    if number:
        index = int(number[1]) - 1
        return _payload(buttons[index]) if 0 <= index < len(buttons) else None
    return titled_payload(reply, buttons)


def titled_payload(reply: str, buttons: Sequence[Mapping[str, Any]]) -> str | None:
    """The payload of the option whose title the reply types out in full, else None.

    Compared as typed on a phone (any case, dash or spacing). The website shows no
    numbers, so there only a title typed out picks its button. A title asked back or
    trailing off ("No, I don't have those thoughts?", "…thoughts...") picks nothing:
    the doubt is the patient's.
    """
    tail = reply[len(reply.rstrip(" .!?…")):]
    key, asked = _option_key(reply), "?" in tail or "…" in tail or "..." in tail
    return next((_payload(button) for button in buttons
                 if key and _option_key(to_plain(button_title(button))) == key
                 and (not asked or button_title(button).rstrip().endswith("?"))), None)


def _payload(button: Mapping[str, Any]) -> str:
    return str(button.get("payload") or button_title(button))


def _option_key(text: str) -> str:
    """Compare option titles as typed on a phone: any case, dash or spacing."""
    text = to_gsm(unicodedata.normalize("NFKC", text)).casefold()
    return " ".join(text.split()).strip(" .!?\"'")
