/**
 * Plumbing shared by the product fakes (Bitbucket Cloud, Bitbucket Data Center, Jenkins).
 *
 * <ul>
 *   <li>{@link io.bitbridge.fakes.common.FakeHttpServer}: in-process HTTP server on 127.0.0.1 (free or
 *       fixed port) around one {@link io.bitbridge.fakes.common.FakeHandler}; records every request
 *       ({@link io.bitbridge.fakes.common.RequestRecorder}), applies armed
 *       {@link io.bitbridge.fakes.common.Fault}s (latency, status incl. 429, reset, hang) and serves
 *       {@code /_sandbox/requests}, {@code /_sandbox/faults} plus the fake's own sandbox routes.</li>
 *   <li>{@link io.bitbridge.fakes.common.FakeRequest} / {@link io.bitbridge.fakes.common.FakeResponse}:
 *       buffered request and response, with Basic/Bearer parsing, decoded path segments, repeated query
 *       parameters and {@link io.bitbridge.fakes.common.FormData} (multipart and urlencoded).</li>
 *   <li>{@link io.bitbridge.fakes.common.WebhookSender}: ordered, signed
 *       ({@link io.bitbridge.bitbucket.webhook.WebhookSignature}, {@code X-Hub-Signature: sha256=<hex>})
 *       deliveries with a product {@link io.bitbridge.fakes.common.RetryPolicy}; every
 *       {@link io.bitbridge.fakes.common.DeliveryAttempt} is recorded; {@code sandboxEndpoint()} serves
 *       them at {@code /_sandbox/deliveries}.</li>
 *   <li>{@link io.bitbridge.fakes.common.GitSmartHttp}: git smart HTTP (info/refs, upload-pack,
 *       receive-pack) over JGit for any repository, with a callback for accepted pushes.</li>
 * </ul>
 */
package io.bitbridge.fakes.common;
