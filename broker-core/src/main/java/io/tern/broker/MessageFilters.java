package io.tern.broker;

import io.tern.protocol.MessageSnapshot;
import io.tern.selector.MessageSelector;
import jakarta.jms.InvalidSelectorException;

import java.util.function.Predicate;

/** Turns a consumer's selector into the predicate a destination evaluates. */
final class MessageFilters {

    private MessageFilters() {
    }

    /** The filter of a selector; null or blank selects everything. */
    static Predicate<MessageSnapshot> compile(String selector) throws InvalidSelectorException {
        if (selector == null || selector.isBlank()) {
            return m -> true;
        }
        MessageSelector parsed = MessageSelector.parse(selector);
        return parsed::matches;
    }
}
