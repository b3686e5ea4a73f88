// An embedded ActiveMQ Artemis broker for Tributary's AMQP 1.0 tests (scripts/services/artemis.sh):
// AMQP only, on loopback, in memory (persistence off), no security; queues and addresses are
// created on first use; a message delivered maxDeliveryAttempts times goes to the DLQ queue.
//   java -cp 'lib/*:classes' TributaryArtemis [port] [maxDeliveryAttempts]
import java.util.concurrent.CountDownLatch;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;

public final class TributaryArtemis {
  public static void main(String[] args) throws Exception {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 5673;
    int maxDeliveryAttempts = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    Configuration config = new ConfigurationImpl()
        .setName("tributary-artemis")
        .setPersistenceEnabled(false)
        .setSecurityEnabled(false)
        .setJMXManagementEnabled(false)
        .setCriticalAnalyzer(false) // a busy shared test machine must not make it halt itself
        .setMaxDiskUsage(-1)
        .addAcceptorConfiguration("amqp", "tcp://127.0.0.1:" + port + "?protocols=AMQP")
        .addAddressSetting("#", new AddressSettings()
            .setDeadLetterAddress(SimpleString.of("DLQ"))
            .setExpiryAddress(SimpleString.of("ExpiryQueue"))
            .setMaxDeliveryAttempts(maxDeliveryAttempts)
            .setAutoCreateAddresses(true)
            .setAutoCreateQueues(true)
            .setAutoDeleteQueues(false)
            .setAutoDeleteAddresses(false))
        .addQueueConfiguration(QueueConfiguration.of("DLQ").setRoutingType(RoutingType.ANYCAST))
        .addQueueConfiguration(QueueConfiguration.of("ExpiryQueue").setRoutingType(RoutingType.ANYCAST));
    EmbeddedActiveMQ broker = new EmbeddedActiveMQ().setConfiguration(config);
    broker.start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try { broker.stop(); } catch (Exception e) { e.printStackTrace(); }
      stopped.countDown();
    }));
    System.out.println("Tributary Artemis ready: AMQP on tcp://127.0.0.1:" + port + ", DLQ after " + maxDeliveryAttempts + " deliveries");
    stopped.await();
  }
}
