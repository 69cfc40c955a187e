/** Characters AWS accepts in tag values (letters, digits, spaces and `_ . : / = + - @`). */
export const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** AWS's longest tag value. */
export const TAG_VALUE_MAX = 256;

/** What a tag value may contain, for messages. */
export const TAG_VALUE_CHARACTERS = "letters, digits, spaces and _ . : / = + - @";
