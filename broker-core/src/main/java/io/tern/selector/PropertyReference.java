package io.tern.selector;

/**
 * A JMSX, provider or application property, looked up by its case-sensitive name; missing means NULL.
 *
 * <p>Immutable and thread-safe.
 */
final class PropertyReference extends Identifier {

    private final String name;

    PropertyReference(String name) {
        this.name = name;
    }

    @Override
    String name() {
        return name;
    }

    @Override
    ValueKind evaluate(Evaluation evaluation) {
        return evaluation.load(evaluation.context.property(name));
    }

    @Override
    ExpressionType type() {
        return ExpressionType.ANY;
    }
}
