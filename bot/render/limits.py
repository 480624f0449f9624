"""Discord's documented limits on a message: an embed, a field, a select menu, a URL.

Over any of them Discord rejects the whole message; `bot.render.fit` keeps them.
"""

TITLE_LIMIT = 256


DESCRIPTION_LIMIT = 4096


FIELD_COUNT_LIMIT = 25


FIELD_NAME_LIMIT = 256


FIELD_VALUE_LIMIT = 1024


FOOTER_LIMIT = 2048


AUTHOR_NAME_LIMIT = 256


EMBED_COUNT_LIMIT = 10


EMBEDS_TOTAL_LIMIT = 6000


CONTENT_LIMIT = 2000


BUTTON_LABEL_LIMIT = 80


SELECT_OPTION_COUNT_LIMIT = 25


SELECT_TEXT_LIMIT = 100


SELECT_PLACEHOLDER_LIMIT = 150


URL_LIMIT = 2048


NAME_LIMIT = 100
"""How much of one LL2 name (person, craft, pad) goes into a line or a field name."""
