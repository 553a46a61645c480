package io.imagefleet.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.math.BigDecimal;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MoneyTest {

  @ParameterizedTest
  @CsvSource({
    "0.5,              0.50",
    "0.50,             0.50",
    "12,               12.00",
    "1E+2,             100.00",
    "0.0042,           0.0042",
    "0.1234564,        0.123456",
    "0.1234565,        0.123457",
    "-1.23456789,      -1.234568",
    "0.0000005,        0.000001",
    "0.0000004,        0.00",
    "-0.0000004,       0.00",
    "0E-999999999,     0.00",
    "0E+999999999,     0.00",
    "1e-999999999,     0.00",
    "-1e-999999999,    0.00",
    "1E-2147483647,    0.00",
    "1e999999999,      1E+999999999",
    "1E+2147483647,    1E+2147483647",
    "123456789012345678.9, 123456789012345678.90",
    "1234567890123456789, 1.234568E+18"
  })
  void formatsWithTwoToSixDecimalPlacesWhateverTheExponent(String amount, String text) {
    String formatted =
        assertTimeoutPreemptively(
            Duration.ofSeconds(5), () -> Money.format(new BigDecimal(amount)));
    assertThat(formatted).isEqualTo(text);
  }

  @ParameterizedTest
  @CsvSource({
    "1, 1",
    "0.5, 0",
    "0.0000001, -6",
    "12345.6, 5",
    "1e-999999999, -999999998",
    "1E+2147483647, 2147483648"
  })
  void countsIntegerDigitsFromPrecisionAndScale(String amount, long digits) {
    assertThat(Money.integerDigits(new BigDecimal(amount))).isEqualTo(digits);
  }

  @ParameterizedTest
  @CsvSource({"1.50, 1", "100, 0", "1E+5, 0", "0, 0", "0.000, 0", "1e-999999999, 999999999"})
  void countsDecimalPlacesWithoutTrailingZeros(String amount, long places) {
    assertThat(Money.decimalPlaces(new BigDecimal(amount))).isEqualTo(places);
  }

  @Test
  void onlyAmountsOfSaneSizeMayBeSummed() {
    assertThat(Money.isSummable(null)).isTrue();
    assertThat(Money.isSummable(new BigDecimal("123456.000001"))).isTrue();
    assertThat(Money.isSummable(new BigDecimal("1e999999999"))).isFalse();
    assertThat(Money.isSummable(new BigDecimal("1e-999999999"))).isFalse();
  }

  @Test
  void writesNullAsNull() {
    assertThat(Money.format(null)).isEqualTo("null");
  }
}
