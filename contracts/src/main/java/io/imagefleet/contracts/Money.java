package io.imagefleet.contracts;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * US dollar amounts as text, for messages, logs and reports: at most {@value #SCALE} decimal
 * places, the scale of {@code max_cost_usd}, so that the text of any amount stays short.
 *
 * <p>Why not {@link BigDecimal#toPlainString()}: it writes every digit that the exponent implies,
 * and a number read from JSON can carry an exponent near a billion ({@code 1e-999999999}), whose
 * plain text no heap holds. Rounding such a number with {@link BigDecimal#setScale} is no cheaper
 * (it computes the power of ten it divides by), so the magnitude is checked first, from precision
 * and scale alone. Stateless and thread safe.
 */
public final class Money {
  /**
   * Decimal places of an amount as the fleet writes it, and the most {@code max_cost_usd} may have.
   */
  public static final int SCALE = 6;

  /** Cents are always written, as people read amounts: {@code 1.50}, not {@code 1.5}. */
  private static final int MIN_SCALE = 2;

  private static final String ZERO = "0.00";

  /**
   * Integer digits above which an amount is written in scientific notation; no real amount has so
   * many.
   */
  private static final int MAX_PLAIN_DIGITS = 18;

  private static final MathContext SHORT = new MathContext(SCALE + 1, RoundingMode.HALF_UP);

  /** Digits on either side of the point beyond which an amount is not one the fleet wrote. */
  private static final int MAX_SUMMABLE_DIGITS = 100;

  private Money() {}

  /**
   * {@code amount} rounded half up to {@value #SCALE} decimal places, trailing zeros dropped down
   * to the cents, in plain notation ({@code 0.0042}, {@code 12.00}, {@code 0.007888}); an amount
   * beyond any budget keeps seven significant digits in scientific notation ({@code 1E+999999999}).
   * Null gives {@code "null"}.
   */
  public static String format(BigDecimal amount) {
    if (amount == null) {
      return "null";
    }
    if (amount.signum() == 0) {
      return ZERO; // whatever its exponent
    }
    long integerDigits = integerDigits(amount);
    if (integerDigits < -SCALE) {
      return ZERO; // below half a millionth in magnitude: rounds to zero at this scale
    }
    if (integerDigits > MAX_PLAIN_DIGITS) {
      return amount.round(SHORT).toString();
    }
    BigDecimal rounded = amount.setScale(SCALE, RoundingMode.HALF_UP).stripTrailingZeros();
    return rounded.signum() == 0
        ? ZERO
        : rounded.setScale(Math.max(rounded.scale(), MIN_SCALE)).toPlainString();
  }

  /**
   * Whether {@code amount} may be added exactly: null, or at most {@value #MAX_SUMMABLE_DIGITS}
   * digits on either side of the point. Sums are exact, so one amount with an absurd exponent
   * ({@code 1e999999999}) from any producer that can write a topic would make a sum's digits fill
   * the heap of whoever adds it; readers skip such an amount. Decided from precision and scale
   * alone.
   */
  public static boolean isSummable(BigDecimal amount) {
    return amount == null
        || (integerDigits(amount) <= MAX_SUMMABLE_DIGITS && amount.scale() <= MAX_SUMMABLE_DIGITS);
  }

  /**
   * How many digits the amount has before its decimal point: {@code 10^(n-1) <= |amount| < 10^n},
   * and zero or negative for amounts below one. Computed without materialising any digit of the
   * exponent.
   */
  static long integerDigits(BigDecimal amount) {
    return (long) amount.precision() - amount.scale();
  }

  /**
   * The decimal places {@code amount} really has, trailing zeros aside ({@code 1.50} has 1). For
   * amounts whose magnitude is already known to be sane: stripping the zeros of {@code
   * 100E+2147483647} would overflow the scale.
   */
  static long decimalPlaces(BigDecimal amount) {
    return amount.signum() == 0 ? 0 : Math.max(0, amount.stripTrailingZeros().scale());
  }
}
