package io.tern.selector;

import jakarta.jms.InvalidSelectorException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A recursive-descent parser from selector text to a tree of {@link Node}s, checking types as far as
 * they are known before any message arrives. The grammar, lowest precedence first:
 *
 * <pre>
 * selector       = or END
 * or             = and { OR and }
 * and            = not { AND not }
 * not            = NOT not | predicate
 * predicate      = additive [ ( = | &lt;&gt; | &lt; | &lt;= | &gt; | &gt;= ) additive
 *                           | [NOT] BETWEEN additive AND additive
 *                           | [NOT] IN ( string { , string } )
 *                           | [NOT] LIKE string [ ESCAPE string ]
 *                           | IS [NOT] NULL ]
 * additive       = multiplicative { ( + | - ) multiplicative }
 * multiplicative = unary { ( * | / ) unary }
 * unary          = ( + | - ) unary | primary
 * primary        = string | number | TRUE | FALSE | identifier | ( or )
 * </pre>
 *
 * Comparisons do not chain ({@code a = b = c} is an error), as in SQL. Signs on numeric literals are
 * folded into the literal, which is how {@code -9223372036854775808} can be written.
 *
 * <p>Not thread-safe; one instance parses one selector.
 */
final class SelectorParser {

    /**
     * How deeply parentheses, NOT and signs may nest. The parser recurses once per level, so without a
     * limit a hostile selector could overflow the stack of the thread creating a consumer.
     */
    static final int MAX_NESTING = 200;
    /**
     * How deep the compiled tree may be; evaluation recurses once per level, on dispatch threads. Only
     * long arithmetic chains get near it: AND and OR chains are flat nodes.
     */
    static final int MAX_DEPTH = 1000;

    private final String selector;
    private final List<Token> tokens;
    private int next;
    private int nesting;

    private SelectorParser(String selector, List<Token> tokens) {
        this.selector = selector;
        this.tokens = tokens;
    }

    static Node parse(String selector) throws InvalidSelectorException {
        SelectorParser parser = new SelectorParser(selector, new SelectorLexer(selector).tokenize());
        Token start = parser.peek();
        Node root = parser.or();
        Token end = parser.peek();
        if (end.type() != TokenType.END) {
            throw parser.unexpected(end, "expected AND, OR or the end of the selector");
        }
        if (root.type() != ExpressionType.BOOLEAN && root.type() != ExpressionType.ANY) {
            throw error(selector, start.position(), "selector is not a condition",
                    "it is " + root.type().description() + "; a selector must evaluate to true or false");
        }
        return root;
    }

    /**
     * An exception whose message says what is wrong and where, such as
     * {@code unexpected token ')' at position 10 in selector 'a = (1 + ))': expected an expression}.
     *
     * @param index the 0-based index of the offending character; the message shows it 1-based
     */
    static InvalidSelectorException error(String selector, int index, String problem, String detail) {
        return new InvalidSelectorException(problem + " at position " + (index + 1) + " in selector '" + selector
                + "'" + (detail == null ? "" : ": " + detail));
    }

    private Node or() throws InvalidSelectorException {
        Token firstStart = peek();
        Node first = and();
        if (peek().type() != TokenType.OR) {
            return first;
        }
        List<Node> operands = new ArrayList<>();
        operands.add(condition(first, firstStart, peek()));
        while (peek().type() == TokenType.OR) {
            Token operator = advance();
            Token start = peek();
            operands.add(condition(and(), start, operator));
        }
        return new Or(operands);
    }

    private Node and() throws InvalidSelectorException {
        Token firstStart = peek();
        Node first = not();
        if (peek().type() != TokenType.AND) {
            return first;
        }
        List<Node> operands = new ArrayList<>();
        operands.add(condition(first, firstStart, peek()));
        while (peek().type() == TokenType.AND) {
            Token operator = advance();
            Token start = peek();
            operands.add(condition(not(), start, operator));
        }
        return new And(operands);
    }

    private Node not() throws InvalidSelectorException {
        if (peek().type() == TokenType.NOT) {
            Token operator = advance();
            Token operandStart = peek();
            enter(operator);
            Node operand = not();
            nesting--;
            return new Not(condition(operand, operandStart, operator));
        }
        return predicate();
    }

    private Node predicate() throws InvalidSelectorException {
        Token leftStart = peek();
        Node left = additive();
        Token operator = peek();
        switch (operator.type()) {
            case EQUAL:
                return comparison(left, leftStart, Comparison.Operator.EQUAL);
            case NOT_EQUAL:
                return comparison(left, leftStart, Comparison.Operator.NOT_EQUAL);
            case LESS:
                return comparison(left, leftStart, Comparison.Operator.LESS);
            case LESS_OR_EQUAL:
                return comparison(left, leftStart, Comparison.Operator.LESS_OR_EQUAL);
            case GREATER:
                return comparison(left, leftStart, Comparison.Operator.GREATER);
            case GREATER_OR_EQUAL:
                return comparison(left, leftStart, Comparison.Operator.GREATER_OR_EQUAL);
            case BETWEEN:
                advance();
                return between(left, leftStart, operator, false);
            case IN:
                advance();
                return in(left, leftStart, operator, false);
            case LIKE:
                advance();
                return like(left, leftStart, operator, false);
            case IS:
                advance();
                return isNull(left, leftStart, operator);
            case NOT:
                advance();
                Token negated = advance();
                switch (negated.type()) {
                    case BETWEEN:
                        return between(left, leftStart, negated, true);
                    case IN:
                        return in(left, leftStart, negated, true);
                    case LIKE:
                        return like(left, leftStart, negated, true);
                    default:
                        throw unexpected(negated, "expected BETWEEN, IN or LIKE after NOT");
                }
            default:
                return left;
        }
    }

    private Node comparison(Node left, Token leftStart, Comparison.Operator operator)
            throws InvalidSelectorException {
        Token operatorToken = advance();
        Token rightStart = peek();
        Node right = additive();
        if (operator.isEquality()) {
            ExpressionType l = left.type();
            ExpressionType r = right.type();
            if (l != ExpressionType.ANY && r != ExpressionType.ANY && l != r) {
                throw error(selector, operatorToken.position(), "type mismatch in '" + operator.symbol() + "'",
                        l.description() + " is compared with " + r.description() + ", which is never true");
            }
        } else {
            orderable(left, leftStart, operatorToken);
            orderable(right, rightStart, operatorToken);
        }
        return new Comparison(left, operator, right);
    }

    private void orderable(Node operand, Token start, Token operator) throws InvalidSelectorException {
        ExpressionType type = operand.type();
        if (type == ExpressionType.STRING || type == ExpressionType.BOOLEAN) {
            throw error(selector, start.position(), "invalid operand of '" + operator.text() + "'",
                    "found " + type.description() + ", but only numbers can be ordered;"
                            + " strings and booleans support only = and <>");
        }
    }

    private Node between(Node value, Token valueStart, Token operator, boolean negated)
            throws InvalidSelectorException {
        numeric(value, valueStart, operator);
        Token lowStart = peek();
        Node low = numeric(additive(), lowStart, operator);
        expect(TokenType.AND, "expected AND between the bounds of BETWEEN");
        Token highStart = peek();
        Node high = numeric(additive(), highStart, operator);
        return new Between(value, low, high, negated);
    }

    private Node in(Node value, Token valueStart, Token operator, boolean negated) throws InvalidSelectorException {
        Identifier identifier = stringIdentifier(value, valueStart, operator);
        expect(TokenType.LEFT_PAREN, "expected '(' to start the list of IN");
        List<String> values = new ArrayList<>();
        do {
            Token item = advance();
            if (item.type() != TokenType.STRING) {
                throw unexpected(item, "the list of IN holds only string literals");
            }
            values.add(item.value());
        } while (accept(TokenType.COMMA));
        expect(TokenType.RIGHT_PAREN, "expected ',' or ')' in the list of IN");
        return new InList(identifier, values, negated);
    }

    private Node like(Node value, Token valueStart, Token operator, boolean negated) throws InvalidSelectorException {
        Identifier identifier = stringIdentifier(value, valueStart, operator);
        Token pattern = advance();
        if (pattern.type() != TokenType.STRING) {
            throw unexpected(pattern, "expected a string literal pattern after LIKE");
        }
        int escape = -1;
        if (accept(TokenType.ESCAPE)) {
            Token escapeToken = advance();
            if (escapeToken.type() != TokenType.STRING) {
                throw unexpected(escapeToken, "expected a string literal after ESCAPE");
            }
            if (escapeToken.value().length() != 1) {
                throw error(selector, escapeToken.position(), "invalid escape character " + escapeToken.text(),
                        "ESCAPE takes a string literal of exactly one character");
            }
            escape = escapeToken.value().charAt(0);
        }
        try {
            return new Like(identifier, LikePattern.compile(pattern.value(), escape), negated);
        } catch (IllegalArgumentException e) {
            throw error(selector, pattern.position(), "invalid LIKE pattern " + pattern.text(), e.getMessage());
        }
    }

    private Node isNull(Node value, Token valueStart, Token operator) throws InvalidSelectorException {
        boolean negated = accept(TokenType.NOT);
        expect(TokenType.NULL, negated ? "expected NULL after IS NOT" : "expected NULL or NOT NULL after IS");
        if (!(value instanceof Identifier identifier)) {
            throw error(selector, valueStart.position(), "invalid operand of IS NULL",
                    "IS NULL and IS NOT NULL apply only to an identifier");
        }
        return new IsNull(identifier, negated);
    }

    private Node additive() throws InvalidSelectorException {
        Token leftStart = peek();
        Node left = multiplicative();
        while (peek().type() == TokenType.PLUS || peek().type() == TokenType.MINUS) {
            Token operator = advance();
            Token rightStart = peek();
            Node right = multiplicative();
            left = limitDepth(new Arithmetic(numeric(left, leftStart, operator),
                    operator.type() == TokenType.PLUS ? Arithmetic.Operator.ADD : Arithmetic.Operator.SUBTRACT,
                    numeric(right, rightStart, operator)), operator);
        }
        return left;
    }

    private Node multiplicative() throws InvalidSelectorException {
        Token leftStart = peek();
        Node left = unary();
        while (peek().type() == TokenType.STAR || peek().type() == TokenType.SLASH) {
            Token operator = advance();
            Token rightStart = peek();
            Node right = unary();
            left = limitDepth(new Arithmetic(numeric(left, leftStart, operator),
                    operator.type() == TokenType.STAR ? Arithmetic.Operator.MULTIPLY : Arithmetic.Operator.DIVIDE,
                    numeric(right, rightStart, operator)), operator);
        }
        return left;
    }

    private Node unary() throws InvalidSelectorException {
        if (peek().type() != TokenType.PLUS && peek().type() != TokenType.MINUS) {
            return primary();
        }
        Token operator = advance();
        boolean negate = operator.type() == TokenType.MINUS;
        Token operandStart = peek();
        if (negate && operandStart.type() == TokenType.EXACT_NUMBER) {
            // Read the sign with the digits: 9223372036854775808 fits a long only when negative.
            advance();
            return exactNumber(operandStart, true);
        }
        enter(operator);
        Node operand = numeric(unary(), operandStart, operator);
        nesting--;
        if (operand instanceof Literal literal && literal.isNumber()) {
            return negate ? literal.negated() : literal;
        }
        return new UnaryArithmetic(operand, negate);
    }

    private Node primary() throws InvalidSelectorException {
        Token token = advance();
        switch (token.type()) {
            case STRING:
                return Literal.ofString(token.value());
            case EXACT_NUMBER:
                return exactNumber(token, false);
            case APPROXIMATE_NUMBER:
                return approximateNumber(token);
            case TRUE:
                return Literal.TRUE;
            case FALSE:
                return Literal.FALSE;
            case IDENTIFIER:
                HeaderReference.Header header = HeaderReference.Header.byName(token.text());
                return header != null ? new HeaderReference(header) : new PropertyReference(token.text());
            case LEFT_PAREN:
                enter(token);
                Node inner = or();
                nesting--;
                expect(TokenType.RIGHT_PAREN, "expected ')'");
                return inner;
            case NULL:
                throw unexpected(token, "NULL may only appear in IS NULL or IS NOT NULL");
            default:
                throw unexpected(token, "expected an expression");
        }
    }

    private Literal exactNumber(Token token, boolean negative) throws InvalidSelectorException {
        String digits = token.text();
        char last = digits.charAt(digits.length() - 1);
        if (last == 'l' || last == 'L') {
            digits = digits.substring(0, digits.length() - 1);
        }
        try {
            if (digits.length() > 2 && (digits.charAt(1) == 'x' || digits.charAt(1) == 'X')) {
                // Like Java, hex and octal literals may use all 64 bits: 0xFFFFFFFFFFFFFFFF is -1.
                long value = Long.parseUnsignedLong(digits.substring(2), 16);
                return Literal.ofLong(negative ? -value : value);
            }
            if (digits.length() > 1 && digits.charAt(0) == '0') {
                for (int i = 1; i < digits.length(); i++) {
                    if (digits.charAt(i) > '7') {
                        throw error(selector, token.position(), "invalid octal number " + token.text(),
                                "a number starting with 0 is octal and may only contain the digits 0 to 7");
                    }
                }
                long value = Long.parseUnsignedLong(digits.substring(1), 8);
                return Literal.ofLong(negative ? -value : value);
            }
            return Literal.ofLong(Long.parseLong(negative ? "-" + digits : digits));
        } catch (NumberFormatException e) {
            throw error(selector, token.position(), "number out of range " + token.text(),
                    "exact numbers must fit in a long (" + Long.MIN_VALUE + " to " + Long.MAX_VALUE + ")");
        }
    }

    private Literal approximateNumber(Token token) throws InvalidSelectorException {
        String text = token.text();
        char last = text.charAt(text.length() - 1);
        // An F suffix makes a float literal, as in Java, so 0.1F equals a float property set to 0.1F.
        boolean isFloat = last == 'f' || last == 'F';
        double value = isFloat ? Float.parseFloat(text) : Double.parseDouble(text);
        if (Double.isInfinite(value)) {
            throw error(selector, token.position(), "number out of range " + text,
                    "approximate numbers must fit in a " + (isFloat ? "float" : "double"));
        }
        return Literal.ofDouble(value);
    }

    private Node condition(Node operand, Token start, Token operator) throws InvalidSelectorException {
        ExpressionType type = operand.type();
        if (type != ExpressionType.BOOLEAN && type != ExpressionType.ANY) {
            throw error(selector, start.position(), "invalid operand of " + operator.text().toUpperCase(Locale.ROOT),
                    "expected a condition, found " + type.description());
        }
        return operand;
    }

    private Node numeric(Node operand, Token start, Token operator) throws InvalidSelectorException {
        ExpressionType type = operand.type();
        if (type != ExpressionType.NUMBER && type != ExpressionType.ANY) {
            throw error(selector, start.position(), "invalid operand of '" + operator.text() + "'",
                    "expected a number, found " + type.description());
        }
        return operand;
    }

    private Identifier stringIdentifier(Node operand, Token start, Token operator) throws InvalidSelectorException {
        String name = operator.text().toUpperCase(Locale.ROOT);
        if (!(operand instanceof Identifier identifier)) {
            throw error(selector, start.position(), "invalid operand of " + name,
                    name + " applies only to an identifier, found " + operand.type().description());
        }
        if (identifier.type() != ExpressionType.STRING && identifier.type() != ExpressionType.ANY) {
            throw error(selector, start.position(), "invalid operand of " + name,
                    identifier.name() + " is " + identifier.type().description() + ", but " + name
                            + " applies only to strings");
        }
        return identifier;
    }

    private void enter(Token token) throws InvalidSelectorException {
        if (++nesting > MAX_NESTING) {
            throw error(selector, token.position(), "selector nested too deeply",
                    "parentheses, NOT and signs may nest at most " + MAX_NESTING + " levels");
        }
    }

    private Node limitDepth(Node node, Token operator) throws InvalidSelectorException {
        if (node.depth() > MAX_DEPTH) {
            throw error(selector, operator.position(), "selector nested too deeply",
                    "the expression would be more than " + MAX_DEPTH + " levels deep");
        }
        return node;
    }

    private Token peek() {
        return tokens.get(next);
    }

    private Token advance() {
        Token token = tokens.get(next);
        if (token.type() != TokenType.END) {
            next++;
        }
        return token;
    }

    private boolean accept(TokenType type) {
        if (peek().type() == type) {
            advance();
            return true;
        }
        return false;
    }

    private void expect(TokenType type, String expectation) throws InvalidSelectorException {
        Token token = advance();
        if (token.type() != type) {
            throw unexpected(token, expectation);
        }
    }

    private InvalidSelectorException unexpected(Token token, String expectation) {
        return error(selector, token.position(), "unexpected " + token.describe(), expectation);
    }
}
