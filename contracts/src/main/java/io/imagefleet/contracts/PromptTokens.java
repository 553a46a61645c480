package io.imagefleet.contracts;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;

/**
 * Counts prompt tokens the way the upstream does: gpt-image models use the GPT-4o tokenizer,
 * {@code o200k_base}. A character count would be a guess; the upstream's 2000-token limit is in tokens.
 *
 * <p>The encoding is loaded once, on first use (it takes a moment and some memory), and shared:
 * jtokkit encodings are immutable and safe to use from any thread.
 */
public final class PromptTokens {
  /**
   * The most bytes one {@code o200k_base} token stands for (its longest token is a run of 128 spaces).
   * A text has at least {@code length() / MAX_CHARS_PER_TOKEN} tokens, since every UTF-16 unit is at
   * least one UTF-8 byte: a text longer than {@code limit * MAX_CHARS_PER_TOKEN} is over the limit
   * without tokenizing it, which bounds the work an oversized prompt can cause.
   */
  static final int MAX_CHARS_PER_TOKEN = 128;

  private PromptTokens() {}

  /**
   * The number of {@code o200k_base} tokens in {@code text}. Special-token markers such as
   * {@code <|endoftext|>} are counted as ordinary text, since a prompt cannot contain control tokens.
   */
  public static int count(String text) {
    return Holder.ENCODING.countTokensOrdinary(text);
  }

  /** Initialised by the JVM on first access, exactly once, without locks afterwards. */
  private static final class Holder {
    static final Encoding ENCODING =
        Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
  }
}
