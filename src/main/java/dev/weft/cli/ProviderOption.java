package dev.weft.cli;

import dev.weft.tls.JsseProvider;
import picocli.CommandLine.Option;

/** {@code --provider sun|bc|conscrypt}, shared by the commands that open connections. */
final class ProviderOption {
    @Option(names = "--provider", paramLabel = "sun|bc|conscrypt", converter = Converter.class,
            description = "TLS provider. Default: -Dweft.provider, else $WEFT_PROVIDER, else sun.")
    JsseProvider provider;

    JsseProvider provider() {
        return JsseProvider.resolve(provider);
    }

    static final class Converter implements picocli.CommandLine.ITypeConverter<JsseProvider> {
        @Override
        public JsseProvider convert(String value) {
            try {
                return JsseProvider.fromName(value);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
