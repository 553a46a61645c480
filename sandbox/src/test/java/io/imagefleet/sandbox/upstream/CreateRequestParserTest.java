package io.imagefleet.sandbox.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CreateRequestParserTest {

  private final ObjectMapper mapper = new ObjectMapper();

  @Test
  void appliesDocumentedDefaults() {
    CreateRequest request =
        CreateRequestParser.parse(json("{'model':'gpt-image-1.5','prompt':'a fox'}"));
    assertThat(request.size()).isEqualTo(ImageSize.SQUARE);
    assertThat(request.quality()).isEqualTo(ImageQuality.HIGH);
    assertThat(request.n()).isEqualTo(1);
    assertThat(request.imageUrls()).isEmpty();
    assertThat(request.callbackUrl()).isEmpty();
  }

  @Test
  void readsEveryField() {
    CreateRequest request =
        CreateRequestParser.parse(
            json(
                "{'model':'gpt-image-1','prompt':'p','size':'1536x1024',"
                    + "'quality':'low','n':4,'image_urls':['https://img.example/a.png'],"
                    + "'callback_url':'https://hooks.example/cb'}"));
    assertThat(request.size()).isEqualTo(ImageSize.LANDSCAPE);
    assertThat(request.quality()).isEqualTo(ImageQuality.LOW);
    assertThat(request.n()).isEqualTo(4);
    assertThat(request.imageUrls()).containsExactly("https://img.example/a.png");
    assertThat(request.callbackUrl()).contains("https://hooks.example/cb");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{'prompt':'p'}                                      | model",
        "{'model':'  ','prompt':'p'}                         | model",
        "{'model':'m'}                                       | prompt",
        "{'model':'m','prompt':''}                           | prompt",
        "{'model':'m','prompt':7}                            | prompt",
        "{'model':'m','prompt':'p','size':'512x512'}         | size",
        "{'model':'m','prompt':'p','quality':'ultra'}        | quality",
        "{'model':'m','prompt':'p','n':0}                    | n",
        "{'model':'m','prompt':'p','n':11}                   | n",
        "{'model':'m','prompt':'p','n':1.5}                  | n",
        "{'model':'m','prompt':'p','n':'2'}                  | n",
        "{'model':'m','prompt':'p','image_urls':[]}          | image_urls",
        "{'model':'m','prompt':'p','image_urls':'https://a'} | image_urls",
        "{'model':'m','prompt':'p','image_urls':['ftp://a/b']} | image_urls",
        "{'model':'m','prompt':'p','callback_url':'http://hooks.example/cb'} | callback_url",
        "{'model':'m','prompt':'p','callback_url':'https://127.0.0.1/cb'}   | callback_url",
        "{'model':'m','prompt':'p','callback_url':'https://10.1.2.3/cb'}    | callback_url",
        "{'model':'m','prompt':'p','callback_url':'https://localhost/cb'}   | callback_url",
        "{'model':'m','prompt':'p','callback_url':'https://[::1]/cb'}       | callback_url",
      })
  void rejectsBreachesOfTheContractNamingTheField(String body, String param) {
    ApiError error = reject(json(body));
    assertThat(error.status()).isEqualTo(400);
    assertThat(error.code()).isEqualTo("invalid_request");
    assertThat(error.type()).isEqualTo("invalid_request_error");
    assertThat(error.param()).isEqualTo(param);
    assertThat(error.message()).isNotBlank();
  }

  @Test
  void rejectsMoreThanSixteenReferenceImages() {
    String urls = String.join(",", Collections.nCopies(17, "'https://img.example/a.png'"));
    assertThat(reject(json("{'model':'m','prompt':'p','image_urls':[" + urls + "]}")).param())
        .isEqualTo("image_urls");
    String sixteen = String.join(",", Collections.nCopies(16, "'https://img.example/a.png'"));
    assertThat(
            CreateRequestParser.parse(
                    json("{'model':'m','prompt':'p','image_urls':[" + sixteen + "]}"))
                .imageUrls())
        .hasSize(16);
  }

  @Test
  void rejectsLongCallbacks() {
    // A prompt's limit is its model's (SimModelTest): the endpoint takes 8,001 characters.
    assertThat(CreateRequestParser.parse(json("{'model':'m','prompt':'" + "x".repeat(8001) + "'}")))
        .isNotNull();
    String longUrl = "https://hooks.example/" + "a".repeat(2048);
    assertThat(reject(json("{'model':'m','prompt':'p','callback_url':'" + longUrl + "'}")).param())
        .isEqualTo("callback_url");
  }

  @Test
  void rejectsBodiesThatAreNotObjects() {
    assertThat(reject(json("[1,2]")).param()).isNull();
    assertThat(reject(null).status()).isEqualTo(400);
  }

  @Test
  void acceptsBoundaryValues() {
    assertThat(CreateRequestParser.parse(json("{'model':'m','prompt':'p','n':10}")).n())
        .isEqualTo(10);
    assertThat(
            CreateRequestParser.parse(json("{'model':'m','prompt':'" + "x".repeat(8000) + "'}"))
                .prompt())
        .hasSize(8000);
    assertThat(List.of(ImageSize.parse("2:3").orElseThrow(), ImageSize.parse("3:2").orElseThrow()))
        .containsExactly(ImageSize.PORTRAIT, ImageSize.LANDSCAPE);
  }

  private static ApiError reject(JsonNode body) {
    return catchThrowableOfType(
            RejectedRequestException.class, () -> CreateRequestParser.parse(body))
        .error();
  }

  private JsonNode json(String singleQuoted) {
    try {
      return mapper.readTree(singleQuoted.replace('\'', '"'));
    } catch (Exception e) {
      throw new IllegalArgumentException(singleQuoted, e);
    }
  }
}
