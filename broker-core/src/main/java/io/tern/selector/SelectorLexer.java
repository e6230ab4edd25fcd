package io.tern.selector;

import jakarta.jms.InvalidSelectorException;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a selector into tokens. Whitespace is Java's (space, tab, form feed, line terminators);
 * identifiers follow Java's identifier rules; numbers follow Java's literal syntax (decimal, hex, octal,
 * with an optional L suffix for exact numbers and F or D for approximate ones); string literals are in
 * single quotes with {@code ''} for a quote. Number tokens are only delimited here; their values are
 * computed by the parser, which knows about a preceding minus sign.
 *
 * <p>Not thread-safe; used by one parse.
 */
final class SelectorLexer {

    private final String selector;
    private int index;

    SelectorLexer(String selector) {
        this.selector = selector;
    }

    static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t' || c == '\f' || c == '\n' || c == '\r';
    }

    /** All tokens of the selector, ending with an {@link TokenType#END} token. */
    List<Token> tokenize() throws InvalidSelectorException {
        List<Token> tokens = new ArrayList<>();
        while (true) {
            while (index < selector.length() && isWhitespace(selector.charAt(index))) {
                index++;
            }
            if (index == selector.length()) {
                tokens.add(new Token(TokenType.END, "", index, ""));
                return tokens;
            }
            tokens.add(nextToken());
        }
    }

    private Token nextToken() throws InvalidSelectorException {
        int start = index;
        char c = selector.charAt(index);
        if (c == '\'') {
            return string();
        }
        if (isDigit(c) || (c == '.' && index + 1 < selector.length() && isDigit(selector.charAt(index + 1)))) {
            return number();
        }
        int codePoint = selector.codePointAt(index);
        if (Character.isJavaIdentifierStart(codePoint)) {
            return word();
        }
        switch (c) {
            case '(':
                return symbol(TokenType.LEFT_PAREN, 1);
            case ')':
                return symbol(TokenType.RIGHT_PAREN, 1);
            case ',':
                return symbol(TokenType.COMMA, 1);
            case '=':
                return symbol(TokenType.EQUAL, 1);
            case '+':
                return symbol(TokenType.PLUS, 1);
            case '-':
                return symbol(TokenType.MINUS, 1);
            case '*':
                return symbol(TokenType.STAR, 1);
            case '/':
                return symbol(TokenType.SLASH, 1);
            case '<':
                if (next('>')) {
                    return symbol(TokenType.NOT_EQUAL, 2);
                }
                return next('=') ? symbol(TokenType.LESS_OR_EQUAL, 2) : symbol(TokenType.LESS, 1);
            case '>':
                return next('=') ? symbol(TokenType.GREATER_OR_EQUAL, 2) : symbol(TokenType.GREATER, 1);
            default:
                break;
        }
        String shown = new String(Character.toChars(codePoint));
        String detail;
        if (c == '!' && next('=')) {
            detail = "use <> for 'not equal'";
        } else if (c == '"') {
            detail = "string literals are enclosed in single quotes";
        } else {
            detail = "not part of the selector syntax";
        }
        throw SelectorParser.error(selector, start, "unexpected character '" + shown + "'", detail);
    }

    private boolean next(char expected) {
        return index + 1 < selector.length() && selector.charAt(index + 1) == expected;
    }

    private Token symbol(TokenType type, int length) {
        Token token = new Token(type, selector.substring(index, index + length), index, null);
        index += length;
        return token;
    }

    private Token string() throws InvalidSelectorException {
        int start = index;
        StringBuilder value = new StringBuilder();
        index++;
        while (index < selector.length()) {
            char c = selector.charAt(index++);
            if (c == '\'') {
                if (index < selector.length() && selector.charAt(index) == '\'') {
                    value.append('\'');
                    index++;
                } else {
                    return new Token(TokenType.STRING, selector.substring(start, index), start, value.toString());
                }
            } else {
                value.append(c);
            }
        }
        throw SelectorParser.error(selector, start, "unterminated string literal",
                "a string literal needs a closing single quote");
    }

    private Token word() {
        int start = index;
        index += Character.charCount(selector.codePointAt(index));
        while (index < selector.length() && Character.isJavaIdentifierPart(selector.codePointAt(index))) {
            index += Character.charCount(selector.codePointAt(index));
        }
        String text = selector.substring(start, index);
        TokenType keyword = TokenType.keyword(text);
        return new Token(keyword == null ? TokenType.IDENTIFIER : keyword, text, start, text);
    }

    private Token number() throws InvalidSelectorException {
        int start = index;
        boolean approximate = false;
        if (selector.charAt(index) == '0' && (next('x') || next('X'))) {
            index += 2;
            int digits = index;
            while (index < selector.length() && Character.digit(selector.charAt(index), 16) >= 0) {
                index++;
            }
            if (index == digits) {
                throw malformedNumber(start, "a hexadecimal number needs digits after 0x");
            }
            skipIf('l', 'L');
        } else {
            skipDigits();
            if (index < selector.length() && selector.charAt(index) == '.') {
                approximate = true;
                index++;
                skipDigits();
            }
            if (index < selector.length() && (selector.charAt(index) == 'e' || selector.charAt(index) == 'E')) {
                approximate = true;
                index++;
                skipIf('+', '-');
                int digits = index;
                skipDigits();
                if (index == digits) {
                    throw malformedNumber(start, "an exponent needs digits");
                }
            }
            if (skipIf('f', 'F') || skipIf('d', 'D')) {
                approximate = true;
            } else if (!approximate) {
                skipIf('l', 'L');
            }
        }
        if (index < selector.length() && Character.isJavaIdentifierPart(selector.codePointAt(index))) {
            throw malformedNumber(start, "a number must not run into letters or digits");
        }
        return new Token(approximate ? TokenType.APPROXIMATE_NUMBER : TokenType.EXACT_NUMBER,
                selector.substring(start, index), start, selector.substring(start, index));
    }

    private InvalidSelectorException malformedNumber(int start, String detail) {
        int end = index;
        while (end < selector.length() && Character.isJavaIdentifierPart(selector.charAt(end))) {
            end++;
        }
        return SelectorParser.error(selector, start, "malformed number '" + selector.substring(start, end) + "'",
                detail);
    }

    private void skipDigits() {
        while (index < selector.length() && isDigit(selector.charAt(index))) {
            index++;
        }
    }

    private boolean skipIf(char a, char b) {
        if (index < selector.length() && (selector.charAt(index) == a || selector.charAt(index) == b)) {
            index++;
            return true;
        }
        return false;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
