package com.acme.payments;

import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

@Configuration
public class PaymentConfig {

    private static final String LEDGER_URL =
        "jdbc:postgresql://ledger.internal:5432/ledger?user=payments&password=LuBJ0tVUNHtww8eYMNN9QuAK";
    private static final String REPORTING_URL =
        "jdbc:sqlserver://reporting.acme.local:1433;databaseName=reports;user=rpt;password=LWSsGbd1VTH0WWTlVR_";
    private static final String SHOPIFY_TOKEN = "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";
    private static final String SERIAL_VERSION = "4295890a-1b9f-4645-ac71-840d65474b69";

    @Bean
    public DataSource ledger() {
        DriverManagerDataSource ds = new DriverManagerDataSource();
        ds.setUrl(LEDGER_URL);
        return ds;
    }

    @Bean
    public DataSource reporting() {
        DriverManagerDataSource ds = new DriverManagerDataSource();
        ds.setUrl(REPORTING_URL);
        ds.setPassword(System.getenv("REPORTING_PASSWORD"));
        return ds;
    }
}
