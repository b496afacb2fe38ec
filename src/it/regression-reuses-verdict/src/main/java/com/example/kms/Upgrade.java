package com.example.kms;

import dev.kmsgate.kms.api.ConversionContext;
import dev.kmsgate.kms.api.KmsConverter;
import dev.kmsgate.kms.spi.TeamConverter;

/** The release's upgrade: the team's chunked, resumable converter. */
public class Upgrade implements KmsConverter {
    @Override
    public void convert(ConversionContext context) throws Exception {
        new TeamConverter().convert(context);
    }
}
