package io.imagefleet.sandbox.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaBrokerIT {

  private static EmbeddedKafkaBroker broker;

  @BeforeAll
  static void startBroker() {
    long start = System.nanoTime();
    broker = EmbeddedKafkaBroker.builder().start();
    System.out.printf("embedded broker start: %d ms%n", (System.nanoTime() - start) / 1_000_000);
  }

  @AfterAll
  static void closeBroker() {
    broker.close();
    assertThat(broker.dataDir()).doesNotExist();
  }

  @Test
  void consumerGroupReceivesProducedRecord() throws Exception {
    String topic = createTopic();
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps())) {
      producer.send(new ProducerRecord<>(topic, "job-1", "hello")).get();
    }
    assertThat(consumeAll(topic, "group-" + UUID.randomUUID(), 1)).containsExactly("hello");
  }

  @Test
  void transactionalProducerCommits() throws Exception {
    String topic = createTopic();
    Properties props = producerProps();
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tx-" + UUID.randomUUID());
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, "k", "committed-1"));
      producer.send(new ProducerRecord<>(topic, "k", "committed-2"));
      producer.commitTransaction();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, "k", "aborted"));
      producer.abortTransaction();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, "k", "committed-3"));
      producer.commitTransaction();
    }
    assertThat(consumeAll(topic, "group-" + UUID.randomUUID(), 3))
        .containsExactly("committed-1", "committed-2", "committed-3");
  }

  @Test
  void restartKeepsDataAndPort() throws Exception {
    try (EmbeddedKafkaBroker own =
        EmbeddedKafkaBroker.builder().numPartitions(2).listener("EXTERNAL", "PLAINTEXT").start()) {
      String servers = own.bootstrapServers();
      String external = own.bootstrapServers("EXTERNAL");
      assertThat(external).isNotEqualTo(servers);
      String topic = "restart-" + UUID.randomUUID();
      try (Admin admin =
          Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers))) {
        admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
      }
      Properties props = producerProps(servers);
      try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
        producer.send(new ProducerRecord<>(topic, "k", "before-stop")).get();
      }
      own.stop();
      assertThat(own.isRunning()).isFalse();
      long start = System.nanoTime();
      own.restart();
      System.out.printf(
          "embedded broker restart: %d ms%n", (System.nanoTime() - start) / 1_000_000);
      assertThat(own.bootstrapServers()).isEqualTo(servers);
      assertThat(own.bootstrapServers("EXTERNAL")).isEqualTo(external);
      assertThat(consumeAll(servers, topic, "group-" + UUID.randomUUID(), 1))
          .containsExactly("before-stop");
      try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps(external))) {
        producer.send(new ProducerRecord<>(topic, "k", "after-restart")).get();
      }
      assertThat(consumeAll(external, topic, "group-" + UUID.randomUUID(), 2))
          .containsExactly("before-stop", "after-restart");
    }
  }

  private static String createTopic() throws Exception {
    String topic = "topic-" + UUID.randomUUID();
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
    }
    return topic;
  }

  private static Properties producerProps() {
    return producerProps(broker.bootstrapServers());
  }

  private static Properties producerProps(String servers) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    return props;
  }

  private static List<String> consumeAll(String topic, String group, int expected) {
    return consumeAll(broker.bootstrapServers(), topic, group, expected);
  }

  private static List<String> consumeAll(String servers, String topic, String group, int expected) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
      consumer.subscribe(List.of(topic));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                for (ConsumerRecord<String, String> record :
                    consumer.poll(Duration.ofMillis(200))) {
                  values.add(record.value());
                }
                return values.size() >= expected;
              });
      consumer.commitSync();
      assertThat(consumer.groupMetadata().generationId()).isPositive();
    }
    return values;
  }
}
