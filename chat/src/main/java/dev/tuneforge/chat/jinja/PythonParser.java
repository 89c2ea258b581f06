package dev.tuneforge.chat.jinja;

import com.hubspot.jinjava.el.ext.AstNamedParameter;
import com.hubspot.jinjava.el.ext.ExtendedParser;
import java.util.ArrayList;
import java.util.List;
import jinjava.de.odysseus.el.tree.impl.Builder;
import jinjava.de.odysseus.el.tree.impl.Scanner.ScanException;
import jinjava.de.odysseus.el.tree.impl.Scanner.Symbol;
import jinjava.de.odysseus.el.tree.impl.ast.AstDot;
import jinjava.de.odysseus.el.tree.impl.ast.AstNode;
import jinjava.de.odysseus.el.tree.impl.ast.AstParameters;
import jinjava.de.odysseus.el.tree.impl.ast.AstUnary;
import org.jspecify.annotations.Nullable;

/**
 * Jinjava's expression parser where it reads Python differently from Jinja2, which chat templates
 * are written for. It runs with Jinjava's natural operator precedence (filters and tests bind to
 * their operand, as in Jinja2), and on top of that:
 *
 * <ul>
 *   <li>a keyword argument's value is a whole expression: {@code namespace(i=messages|length - 1)}
 *       passes {@code i = (messages|length - 1)}, where Jinjava reads {@code (i=messages|length) -
 *       1};
 *   <li>a slice may have a step: {@code messages[::-1]}, {@code text[a:b:2]};
 *   <li>{@code not} binds looser than comparisons and tests: {@code not x is defined} is {@code not
 *       (x is defined)}, {@code not a == b} is {@code not (a == b)}.
 * </ul>
 */
final class PythonParser extends ExtendedParser {

  PythonParser(Builder context, String input) {
    super(context, input);
  }

  @Override
  protected AstParameters params() throws ScanException, ParseException {
    consumeToken(Symbol.LPAREN);
    List<AstNode> arguments = new ArrayList<>();
    AstNode first = argument(false);
    if (first != null) {
      arguments.add(first);
      while (getToken().getSymbol() == Symbol.COMMA) {
        consumeToken();
        arguments.add(argument(true));
      }
    }
    consumeToken(Symbol.RPAREN);
    return createAstParameters(arguments);
  }

  private @Nullable AstNode argument(boolean required) throws ScanException, ParseException {
    if (getToken().getSymbol() == Symbol.IDENTIFIER
        && lookahead(0).getSymbol() == Symbol.EXTENSION
        && "=".equals(lookahead(0).getImage())) {
      String name = consumeToken().getImage();
      consumeToken();
      return new AstNamedParameter(identifier(name), expr(true));
    }
    return expr(required);
  }

  @Override
  protected AstNode unary(boolean required) throws ScanException, ParseException {
    if (getToken().getSymbol() == Symbol.NOT) {
      consumeToken();
      return createAstUnary(eq(true), AstUnary.NOT);
    }
    return super.unary(required);
  }

  /** A value and its attributes, calls, subscripts and slices, read left to right. */
  @Override
  protected @Nullable AstNode value() throws ScanException, ParseException {
    boolean lvalue = true;
    AstNode value = nonliteral();
    if (value == null) {
      value = literal();
      if (value == null) {
        return null;
      }
      lvalue = false;
    }
    while (true) {
      if (getToken().getSymbol() == Symbol.DOT) {
        consumeToken();
        AstDot attribute = createAstDot(value, consumeToken(Symbol.IDENTIFIER).getImage(), lvalue);
        value = calledOrNot(attribute);
      } else if (getToken().getSymbol() == Symbol.LBRACK) {
        value = subscript(value, lvalue);
      } else {
        return value;
      }
    }
  }

  private AstNode calledOrNot(jinjava.de.odysseus.el.tree.impl.ast.AstProperty property)
      throws ScanException, ParseException {
    boolean called =
        getToken().getSymbol() == Symbol.LPAREN
            && context.isEnabled(Builder.Feature.METHOD_INVOCATIONS);
    return called ? createAstMethod(property, params()) : property;
  }

  /** {@code [i]}, {@code [start:stop]} as Jinjava reads them, {@code [start:stop:step]} as ours. */
  private AstNode subscript(AstNode base, boolean lvalue) throws ScanException, ParseException {
    consumeToken(Symbol.LBRACK);
    boolean strict = !context.isEnabled(Builder.Feature.NULL_PROPERTIES);
    AstNode start = expr(false);
    if (getToken().getSymbol() == Symbol.RBRACK) {
      consumeToken();
      return calledOrNot(createAstBracket(base, start, lvalue, strict));
    }
    consumeToken(Symbol.COLON);
    AstNode stop = expr(false);
    if (getToken().getSymbol() == Symbol.RBRACK) {
      consumeToken();
      return createAstRangeBracket(base, start, stop, lvalue, strict);
    }
    consumeToken(Symbol.COLON);
    AstNode step = expr(false);
    consumeToken(Symbol.RBRACK);
    return new AstSlice(base, start, stop, step);
  }
}
