package dev.tuneforge.chat.jinja;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.el.ExtendedSyntaxBuilder;
import com.hubspot.jinjava.el.JinjavaInterpreterResolver;
import com.hubspot.jinjava.el.TruthyTypeConverter;
import jinjava.de.odysseus.el.ExpressionFactoryImpl;
import jinjava.de.odysseus.el.tree.TreeStore;
import jinjava.de.odysseus.el.tree.impl.Builder;
import jinjava.de.odysseus.el.tree.impl.Cache;
import jinjava.de.odysseus.el.tree.impl.Parser;
import jinjava.javax.el.CompositeELResolver;
import jinjava.javax.el.ExpressionFactory;

/**
 * Jinjava set up as transformers sets up Jinja2 for {@code apply_chat_template}: blocks trimmed and
 * left-stripped, {@code {{-}} and {@code -}}} trimming expressions too, Python's operator
 * precedence, keyword arguments, slices with steps, {@code str} methods and transformers' {@code
 * tojson}. Templates are Jinja; this is the one place that bends Jinjava towards it.
 *
 * <p>Jinja2 prints a value as it is; Jinjava by default renders a printed value again when it holds
 * {@code {{}} or {@code {%}, so a message whose text contains {@code {{name}}} would be rendered
 * (and trained and counted) differently from transformers. Nested interpretation is off.
 */
public final class TransformersJinja {

  private TransformersJinja() {}

  public static Jinjava newJinjava() {
    CompositeELResolver resolver = new CompositeELResolver();
    resolver.add(new PythonStrMethods());
    resolver.add(JinjavaInterpreterResolver.DEFAULT_RESOLVER_READ_ONLY);
    JinjavaConfig config =
        JinjavaConfig.newBuilder()
            .withTrimBlocks(true)
            .withLstripBlocks(true)
            .withNestedInterpretationEnabled(false)
            .withElResolver(resolver)
            .withLegacyOverrides(
                LegacyOverrides.newBuilder()
                    .withUseNaturalOperatorPrecedence(true)
                    .withUseTrimmingForNotesAndExpressions(true)
                    .withParseWhitespaceControlStrictly(true)
                    .withKeepNullableLoopValues(true)
                    .build())
            .build();
    Jinjava jinjava = new PythonExpressions(config);
    jinjava.getGlobalContext().registerFilter(new PythonToJson());
    return jinjava;
  }

  /** Jinjava whose expressions are read by {@link PythonParser}. */
  private static final class PythonExpressions extends Jinjava {
    private final ExpressionFactory expressions =
        new ExpressionFactoryImpl(
            new TreeStore(new PythonSyntax(), new Cache(1000)), new TruthyTypeConverter());

    PythonExpressions(JinjavaConfig config) {
      super(config);
    }

    @Override
    public ExpressionFactory getExpressionFactory() {
      return expressions;
    }
  }

  private static final class PythonSyntax extends ExtendedSyntaxBuilder {
    private static final long serialVersionUID = 1L;

    PythonSyntax() {
      // The features of Jinjava's own expression factory (the EE 6 profile).
      super(Builder.Feature.METHOD_INVOCATIONS, Builder.Feature.VARARGS);
    }

    @Override
    protected Parser createParser(String expression) {
      return new PythonParser(this, expression);
    }
  }
}
