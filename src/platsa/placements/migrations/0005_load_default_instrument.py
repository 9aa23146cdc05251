from django.db import migrations


def load(apps, schema_editor):
    from platsa.placements.instruments import DEFAULT, load_instrument, read_instrument

    load_instrument(
        read_instrument(DEFAULT),
        instrument_model=apps.get_model("placements", "Instrument"),
        scale_model=apps.get_model("placements", "InstrumentScale"),
    )


def unload(apps, schema_editor):
    apps.get_model("placements", "Instrument").objects.filter(code="platsa-steg").delete()


class Migration(migrations.Migration):
    dependencies = [("placements", "0004_progression_instruments")]
    operations = [migrations.RunPython(load, unload)]
