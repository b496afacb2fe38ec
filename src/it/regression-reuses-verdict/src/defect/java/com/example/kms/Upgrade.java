package com.example.kms;

import dev.kmsgate.kms.api.ConversionContext;
import dev.kmsgate.kms.api.KmsConverter;
import dev.kmsgate.kms.spi.TeamConverter;

/** The release's upgrade after a change that marks every revocation in one transaction (KB Q193567). */
public class Upgrade implements KmsConverter {
    @Override
    public void convert(ConversionContext context) throws Exception {
        new TeamConverter.OneTransaction().convert(context);
    }
}
